// FeedwatchStoriesTests
