"""The archival package (paczka archiwalna, domain.md § 6.5): XML of documents, cases and the spis (`xml`), the
schema (`schema`), the streaming writer (`writer`) and the read-back check (`verify`)."""
