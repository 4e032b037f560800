def pad(x, pad_width, constant_values=0):
    raise RuntimeError("the Keras stand-in builds models; it does not run them")
