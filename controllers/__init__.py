from . import oauth, qbwc, webhook
