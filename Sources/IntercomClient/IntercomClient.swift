// IntercomClient
