// IntercomMock
