#!/usr/bin/env python
from bakuhub.__main__ import main

if __name__ == "__main__":
    main()
