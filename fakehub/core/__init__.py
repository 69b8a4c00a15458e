"""The pure state machine of fakehub: streams, tasks, the ADS repository, home
regions and pending asynchronous work.  Nothing in this package imports
botocore; it is driven by ``fakehub.wire`` and by the hub's Python API."""
