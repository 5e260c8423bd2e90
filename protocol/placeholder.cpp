// Placeholder until the protocol sources land; delete when protocol/ has other .cpp files.
