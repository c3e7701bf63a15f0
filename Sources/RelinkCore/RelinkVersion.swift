/// This relink's version: `relink --version`, and what a support bundle's manifest records.
public enum RelinkVersion {
    public static let current = "0.1.0"
}
