"""Helpers shared by the emulator tests: sign-in, callables, Firestore clients and WebRTC peers."""
