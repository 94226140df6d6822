"""The EVM beside the AVM: py-evm runs the EVM side of a lesson, captured opcode by opcode.

Plain Python (no Textual). ``runner`` executes bytecode on py-evm, ``asm`` turns EVM assembly into
bytecode, ``trace`` moves through a recorded run, ``lesson`` reads paired lesson files, ``proofsize``
measures what a one-step proof of each side carries and ``pairing`` steps both sides marker by marker.
"""
