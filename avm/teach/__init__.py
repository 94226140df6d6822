"""Teaching text: what each instruction does and how it differs from the EVM."""
