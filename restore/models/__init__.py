"""What the stages know, loaded once per process: dictionaries, the OCR error model, the language model."""
