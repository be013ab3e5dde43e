    agent any
    options {
        disableConcurrentBuilds()
    }
