// RelinkStore
