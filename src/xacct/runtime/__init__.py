"""Process runtime: user code in processes of its own (scripts, Lambda handlers) and work done
beside a run on a background thread."""
