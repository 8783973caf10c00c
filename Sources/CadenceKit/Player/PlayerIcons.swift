/// The player's button icons, drawn inline (no icon font, no image files).
enum PlayerIcons {
    static let previous = svg("<path d=\"M6 5h2.5v14H6zM20 5v14L9.5 12z\"/>")
    static let next = svg("<path d=\"M15.5 5H18v14h-2.5zM4 5v14l10.5-7z\"/>")
    static let play = svg("<path d=\"M8 4.5v15l12-7.5z\"/>", className: "icon-play")
    static let pause = svg("<path d=\"M6.5 4.5h4v15h-4zM13.5 4.5h4v15h-4z\"/>", className: "icon-pause")

    static func svg(_ path: String, className: String = "icon") -> String {
        "<svg class=\"\(className)\" viewBox=\"0 0 24 24\" width=\"28\" height=\"28\" aria-hidden=\"true\" focusable=\"false\" fill=\"currentColor\">\(path)</svg>"
    }
}
