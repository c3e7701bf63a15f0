// RelinkCore
