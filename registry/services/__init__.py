"""Write operations of the registry: plain functions, each atomic, each writing the metryka."""
