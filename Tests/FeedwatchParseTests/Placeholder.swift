// FeedwatchParseTests
