"""AVMeets server: signalling and Call Data Records on Firebase.

Layers (docs/architecture.md): ``handlers`` adapts the Functions SDK, ``services`` decide,
``store`` alone reads and writes Firestore, the other modules are plain Python taking plain data
and the time, and ``protocol`` is the one source of what clients send and receive.
``functions/main.py`` wires the triggers.
"""
