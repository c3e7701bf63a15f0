// FaultSpec is the mock's world vocabulary too: every user of the world (the mock, its control
// client, relink's presenter, the tests) names it through this module.
@_exported import IntercomMockFaults
