"""What a run came to, shown after it: `xacct report` (a self-contained HTML page of an execution
across accounts and Regions). Everything here reads the store; nothing is recorded twice."""
