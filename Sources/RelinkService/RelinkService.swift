// RelinkService
