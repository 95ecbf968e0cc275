"""Data access: the one place that knows the collections and reads or writes Firestore.

* ``names``: the collection names;
* ``documents``: the shape of every stored document (plain ``TypedDict``s, no Firestore);
* ``core``: versioned reads and the optimistic-write loop the writers share;
* ``meetings``, ``legs``, ``people``, ``archives``: the reads and writes, by what they touch.

Services call these with typed documents and never see a Firestore object; the documents'
version (``Versioned.version``) is opaque to them. This ``__init__`` imports nothing, so pure
modules can use ``store.documents`` without loading the Firestore client.
"""
