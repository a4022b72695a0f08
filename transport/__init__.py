"""Transport: everything that talks to Intuit.

* :mod:`.crypto`  encrypts tokens and the client secret with the server-configured key;
* :mod:`.auth`    builds intuit-oauth clients for an environment (Sandbox, Production, emulator);
* :mod:`.tokens`  keeps one valid access token per connection, refreshing it under a row lock
                  in its own transaction;
* :mod:`.client`  the one API client (python-quickbooks underneath): auth, retries, faults;
* :mod:`.errors`  what can go wrong, in words a user can act on.
"""
