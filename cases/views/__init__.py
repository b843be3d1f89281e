"""Web pages of casework."""
