"""Files in and out: .mexe read/write, .s assembler/disassembler, the lexer, JSON inputs."""
