"""baixiao's data layer: ingest newspaper pages into a store, and read it back.

No Textual here: the CLI, scripts and the app all use this package the same way.

    from store import Store
    store = Store.open(path)
    store.school("金兴小学").brands
"""

from store.db import Store, StoreError

__all__ = ["Store", "StoreError"]
