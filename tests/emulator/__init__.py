"""End-to-end tests against the Firebase emulators (auth, firestore, functions, pubsub)."""
