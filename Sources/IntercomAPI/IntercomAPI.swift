// IntercomAPI
