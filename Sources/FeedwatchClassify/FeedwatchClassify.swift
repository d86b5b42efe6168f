// FeedwatchClassify: built by its stage.
