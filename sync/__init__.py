"""Queue processing: the push engine that sends claimed jobs to QuickBooks (see engine.py)."""
