"""AVMeets server: signalling and Call Data Records on Firebase.

The modules here are plain Python: they take and return plain data. Only ``handlers`` and
``db`` know about Firestore and the Functions SDK; ``functions/main.py`` wires the triggers.
"""
