def connect():
    pass


def hidden():
    pass
