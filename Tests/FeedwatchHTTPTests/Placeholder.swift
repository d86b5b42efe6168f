// FeedwatchHTTPTests
