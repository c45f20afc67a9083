"""What only training needs: building data sets from gold files and fitting models.

Runtime modules never import this package; it may import evaluation code.
"""
