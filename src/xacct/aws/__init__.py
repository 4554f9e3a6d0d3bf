"""Knowledge about AWS APIs taken from botocore's service models."""
