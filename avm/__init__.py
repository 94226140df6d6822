"""The classic Arbitrum Virtual Machine: values, hashing, execution, loaders, assembler and proofs.

Nothing in this package knows about Textual: it is usable (and tested) without a screen.
"""

__version__ = "0.1.0"
