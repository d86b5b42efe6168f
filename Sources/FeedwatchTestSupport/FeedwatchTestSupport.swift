// FeedwatchTestSupport: built by its stage.
