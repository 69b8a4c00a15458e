"""The wire layer: botocore's JSON 1.1 protocol in, core calls, JSON out.

Everything here is compiled once from botocore's service models: which
operations exist, their validation, their modeled errors and HTTP statuses."""
