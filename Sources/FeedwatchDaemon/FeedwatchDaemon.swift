// FeedwatchDaemon: built by its stage.
