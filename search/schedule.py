BEAT_SCHEDULE = {
    "search-drain-outbox": {"task": "search.drain_outbox", "schedule": 5.0, "options": {"expires": 30}},
}
