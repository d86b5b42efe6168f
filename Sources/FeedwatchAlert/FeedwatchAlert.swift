// FeedwatchAlert: built by its stage.
