def register_keras_serializable(package=None, name=None):
    return lambda cls: cls
