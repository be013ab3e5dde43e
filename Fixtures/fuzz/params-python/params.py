LR = 0.1
LAYERS: list = [64, 32]
NAME = "resnet" "-50"


class Train:
    lr = 0.01
    opts = {"a": (1, 2), "b": -3}

    def __init__(self):
        self.epochs = 10
