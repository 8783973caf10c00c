/// Numbers as words, for the voice ("Twenty-one"), from 1 to 9999.
enum NumberWords {
    private static let ones = [
        "", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
        "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
    ]
    private static let tens = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]

    static func spelled(_ number: Int) -> String {
        let words = lowercase(number)
        return words.prefix(1).uppercased() + words.dropFirst()
    }

    private static func lowercase(_ number: Int) -> String {
        switch number {
        case ..<1: return "zero"
        case 1..<20: return ones[number]
        case 20..<100: return tens[number / 10] + (number % 10 == 0 ? "" : "-" + ones[number % 10])
        case 100..<1000: return ones[number / 100] + " hundred" + (number % 100 == 0 ? "" : " and " + lowercase(number % 100))
        default: return lowercase(number / 1000) + " thousand" + (number % 1000 == 0 ? "" : " " + lowercase(number % 1000))
        }
    }
}
