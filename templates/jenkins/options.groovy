    options {
        disableConcurrentBuilds()
    }
