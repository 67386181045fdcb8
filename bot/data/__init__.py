"""The data people edit: reading data/*.yaml, checking every field, the words of every data problem
(wording, Swedish and English), and the loaded directory.

May import nothing else from the project and no Bot Framework or web server: it is the bottom
layer, plain Python, with the only file I/O of the core side (the loader).
"""
