import IntercomAPI
import RelinkCommands
import RelinkService
import RelinkStore
import SupportBundles

/// The stable `code` of a `--json` error document, one per kind of failure, in snake_case: what a
/// script decides on, where the message is for a person (README, "`--json`", lists them).
enum ErrorCode: String, CaseIterable, Sendable {
    // The command line
    case usage
    case interrupted
    case failed
    // Projects and the lifecycle
    case projectNotFound = "project_not_found"
    case alreadyConnected = "already_connected"
    case notConnected = "not_connected"
    case workspaceChangeNeedsConfirmation = "workspace_change_needs_confirmation"
    case alreadyAppUser = "already_app_user"
    case tokenMissing = "token_missing"
    case checkInterrupted = "check_interrupted"
    // Intercom
    case intercomRefused = "intercom_refused"
    case intercomUnreachable = "intercom_unreachable"
    // Authorizing
    case newAppUserNeeded = "new_app_user_needed"
    case meNamesNoWorkspace = "me_names_no_workspace"
    case otherWorkspace = "other_workspace"
    case teammateNeeded = "teammate_needed"
    case notATeammate = "not_a_teammate"
    case noMockPassword = "no_mock_password"
    case appUserRemoved = "app_user_removed"
    case loginForbidden = "login_forbidden"
    case loginRefused = "login_refused"
    case needsTerminal = "needs_terminal"
    case nothingGiven = "nothing_given"
    case readFailed = "read_failed"
    case oauthRedirectFailed = "oauth_redirect_failed"
    case listenNeedsLoopback = "listen_needs_loopback"
    case oauthClientMissing = "oauth_client_missing"
    case settingEmpty = "setting_empty"
    case settingNotPrintable = "setting_not_printable"
    case unknownRegion = "unknown_region"
    case unknownIntercomVersion = "unknown_intercom_version"
    case redirectURLInvalid = "redirect_url_invalid"
    case authorizeURLInvalid = "authorize_url_invalid"
    case redirectURLHasFragment = "redirect_url_has_fragment"
    case redirectURLInsecure = "redirect_url_insecure"
    case settingsUnreadable = "settings_unreadable"
    // The mock
    case mockOnly = "mock_only"
    case mockRefused = "mock_refused"
    case noMock = "no_mock"
    case mockControlRefused = "mock_control_refused"
    case mockConversationNotFound = "mock_conversation_not_found"
    // The app's work
    case linkNeedsConnection = "link_needs_connection"
    case connectionBroken = "connection_broken"
    case conversationNotFound = "conversation_not_found"
    case notLinked = "not_linked"
    // The settings page
    case settingsPageFailed = "settings_page_failed"
    case outboxItemNotFound = "outbox_item_not_found"
    case neverConnected = "never_connected"
    case workStillHeld = "work_still_held"
    case notChecked = "not_checked"
    case brokenReferences = "broken_references"
    // The store, shaping a case, bundles
    case storeDamaged = "store_damaged"
    case storeNewerSchema = "store_newer_schema"
    case storeOlderSchema = "store_older_schema"
    case storeIO = "store_io"
    case storeNotARegularFile = "store_not_a_regular_file"
    case storeFileMissing = "store_file_missing"
    case storeReadOnly = "store_read_only"
    case secretNotGiven = "secret_not_given"
    case noCodeGiven = "no_code_given"
    case endOfInput = "end_of_input"
    case siteNeeded = "site_needed"
    case outboxSerialOutOfRange = "outbox_serial_out_of_range"
    case projectExists = "project_exists"
    case holdsConnection = "holds_connection"
    case importNeedsMock = "import_needs_mock"
    case importNeedsBuiltInMock = "import_needs_built_in_mock"
    case importCancelled = "import_cancelled"
    case exportFailed = "export_failed"
    case bundleInvalid = "bundle_invalid"

    /// The code of any error a command can end with; `failed` for one relink does not know.
    init(_ error: any Error) {
        switch error {
        case let error as ServiceError: self.init(error)
        case let error as StoreError: self.init(error)
        case let error as CommandFailure: self.init(error)
        case is UsageError: self = .usage
        case is CommandInterrupted: self = .interrupted
        case is SupportBundle.ExportError: self = .exportFailed
        case is SupportBundle.ImportError: self = .bundleInvalid
        default: self = .failed
        }
    }

    init(_ error: ServiceError) {
        switch error {
        case .unknownProject: self = .projectNotFound
        case .refused(.alreadyConnected): self = .alreadyConnected
        case .refused(.notConnected): self = .notConnected
        case .refused(.workspaceChangeNeedsConfirmation): self = .workspaceChangeNeedsConfirmation
        case .refused(.alreadyAppUser): self = .alreadyAppUser
        case .intercom(let failure, _):
            self = failure.kind == .timeout || failure.kind == .unreachable ? .intercomUnreachable : .intercomRefused
        case .authorization(let failure): self.init(failure)
        case .configuration(.oauthClientMissing): self = .oauthClientMissing
        case .configuration(.empty): self = .settingEmpty
        case .configuration(.notPrintableASCII): self = .settingNotPrintable
        case .configuration(.unknownRegion): self = .unknownRegion
        case .configuration(.unknownIntercomVersion): self = .unknownIntercomVersion
        case .configuration(.redirectNotAURL): self = .redirectURLInvalid
        case .configuration(.authorizeURLInvalid): self = .authorizeURLInvalid
        case .configuration(.redirectHasFragment): self = .redirectURLHasFragment
        case .configuration(.redirectInsecure): self = .redirectURLInsecure
        case .configuration(.unreadable): self = .settingsUnreadable
        case .notOnRealAPI: self = .mockOnly
        case .missingToken: self = .tokenMissing
        case .store(let error): self.init(error)
        case .mock: self = .mockRefused
        case .checkInterrupted: self = .checkInterrupted
        case .work(.notConnected): self = .linkNeedsConnection
        case .work(.broken): self = .connectionBroken
        case .work(.conversationNotFound): self = .conversationNotFound
        case .work(.notLinked): self = .notLinked
        case .work(.unknownOutboxItem): self = .outboxItemNotFound
        case .work(.noWorkspace): self = .neverConnected
        case .catalog(.siteNeeded): self = .siteNeeded
        case .catalog(.outboxSerialOutOfRange): self = .outboxSerialOutOfRange
        case .catalog(.projectExists): self = .projectExists
        case .catalog(.holdsConnection): self = .holdsConnection
        }
    }

    init(_ failure: AuthorizationFailure) {
        switch failure {
        case .newAppUserNeeded: self = .newAppUserNeeded
        case .meNamesNoWorkspace: self = .meNamesNoWorkspace
        case .otherWorkspace: self = .otherWorkspace
        case .mockTeammateNeeded: self = .teammateNeeded
        case .notATeammate: self = .notATeammate
        case .noMockPassword: self = .noMockPassword
        case .appUserRemoved: self = .appUserRemoved
        case .loginForbidden: self = .loginForbidden
        case .loginRefused: self = .loginRefused
        case .needsTerminal: self = .needsTerminal
        case .nothingGiven: self = .nothingGiven
        case .readFailed: self = .readFailed
        case .interruptedAtPrompt, .listenInterrupted: self = .interrupted
        case .redirect: self = .oauthRedirectFailed
        case .listenNeedsLoopback: self = .listenNeedsLoopback
        }
    }

    init(_ error: StoreError) {
        switch error {
        case .damaged: self = .storeDamaged
        case .newerSchema: self = .storeNewerSchema
        case .olderSchema: self = .storeOlderSchema
        case .io: self = .storeIO
        case .notARegularFile: self = .storeNotARegularFile
        case .missing: self = .storeFileMissing
        case .readOnly: self = .storeReadOnly
        }
    }

    init(_ failure: CommandFailure) {
        switch failure {
        case .noMock: self = .noMock
        case .mockRefused: self = .mockControlRefused
        case .unknownConversation: self = .mockConversationNotFound
        case .secretNotGiven: self = .secretNotGiven
        case .noCodeGiven: self = .noCodeGiven
        case .endOfInput: self = .endOfInput
        case .importNeedsMock: self = .importNeedsMock
        case .importNeedsBuiltInMock: self = .importNeedsBuiltInMock
        case .importCancelled: self = .importCancelled
        case .workStillHeld: self = .workStillHeld
        case .notChecked: self = .notChecked
        case .brokenReferences: self = .brokenReferences
        case .settingsPageFailed: self = .settingsPageFailed
        }
    }
}
