import streamlit as st

st.title("reporting")
st.info("Coming soon.")
