"""The search index: flat documents, the outbox that keeps them true, the query language and the two backends."""
