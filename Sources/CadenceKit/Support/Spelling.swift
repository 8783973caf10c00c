/// "Did you mean ...?": the closest of a list of words to a misspelt one.
public enum Spelling {
    /// The candidate closest to `word`, when it is close enough to be a likely misspelling: at most
    /// two edits, or a third of the word's length for long words.
    public static func suggestion(for word: String, among candidates: [String]) -> String? {
        let word = String(word.prefix(64))
        guard let nearest = candidates.min(by: { editDistance(word, $0) < editDistance(word, $1) }) else { return nil }
        return editDistance(word, nearest) <= max(2, word.count / 3) ? nearest : nil
    }

    /// The edit distance between two words, ignoring case (a transposition counts as one edit).
    public static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a.lowercased()), b = Array(b.lowercased())
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var table = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { table[i][0] = i }
        for j in 0...b.count { table[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                table[i][j] = min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    table[i][j] = min(table[i][j], table[i - 2][j - 2] + 1)
                }
            }
        }
        return table[a.count][b.count]
    }
}
