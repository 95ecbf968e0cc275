"""Services: one module per operation; each decides, with pure modules, what to read and write.

A service takes typed requests (``avmeets.payloads``) and the caller, reads and writes typed
documents through ``avmeets.store``, and returns the protocol's result (``avmeets.protocol``). It
raises the domain's errors (``avmeets.errors``); the adapter (``avmeets.handlers``) maps them to
callable errors. Services never see a Firestore or Functions SDK object.
"""
