"""The embedded sandbox: simulated AWS accounts in this process (moto underneath)."""
