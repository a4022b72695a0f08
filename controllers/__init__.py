from . import oauth, qbwc
